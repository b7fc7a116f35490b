"""Name lexicon: common US given names and surnames (after the public-domain Census and SSA lists).

Used only to recognise an undeclared name in free text ("Maria Lopez", "LOPEZ, MARIA"). Given names
that are also common English words (Will, Grace, Mark, June) are left out: they are found through
titles, degrees and context instead.
"""

from __future__ import annotations

_GIVEN = """
aaron abigail adam adrian adriana aiden alan albert alberto alejandra alejandro alex alexander
alexandra alexis alfonso alfredo alice alicia alison allison alma alvin amanda amber amy ana
andre andrea andres andrew angel angela angelica angelina anita ann anna anne annette anthony
antonio arianna arlene armando arnold arthur arturo ashley audrey austin barbara beatriz
benjamin bernard beth betty beverly blanca bobby bonnie brandon brenda brian brittany brooke
bruce bryan caleb calvin cameron carl carla carlos carmen carol carolina caroline carrie casey
catherine cecilia cesar charles charlotte cheryl christian christina christine christopher
cindy claire claudia clifford colleen connie consuelo craig cristina crystal curtis cynthia
daisy dale dana daniel danielle darlene darrell darren david debbie deborah debra delia denise
dennis derek diana diane diego dolores dominic donald donna doris dorothy douglas duane dylan
eddie edgar eduardo edward edwin eileen elaine elena elizabeth ellen emily emma enrique eric
erica erik erika ernest ernesto esmeralda esperanza esther ethan eugene eva evelyn fernando
francisco franklin fred frederick gabriel gabriela gary genaro george gerald gerardo gilbert
gina gloria gonzalo gordon graciela gregory guadalupe guillermo gustavo hannah harold harry
hector heather heidi helen henry herbert hilda howard hugo ian irene irma isaac isabel isabella
ismael ivan jacob jacqueline jaime james jamie janet janice jared jasmine jason javier jeffrey
jennifer jeremy jerome jerry jesse jessica jesus jimmy joan joanne joaquin joel johanna john
johnny jonathan jorge jose josefina joseph joshua juan juana judith judy julia julian julie
julio justin karen karina katherine kathleen kathryn kathy keith kelly kenneth kevin kimberly
kristen kristin kyle larry laura lauren lawrence leonard leslie leticia lillian linda lisa
lorena lorenzo loretta lori louis lourdes lucia luis luz lydia lynn madison manuel marcela
marco marcos margaret margarita maria marian maricela marie marilyn mario marisol marjorie
marlene martha martin marvin mary matthew maureen megan melanie melissa michael michelle
miguel mildred monica nancy natalie nathan nicholas nicole noah norma olga oscar pablo pamela
patricia patrick paul paula pedro peggy peter phillip phyllis priscilla rachel rafael ramiro
ramon randall randy raquel raul rebecca regina reginald renee ricardo richard roberta roberto
robert rodney rodolfo rodrigo roger rolando ronald rosa rosalie rosario roxanne ruben rudy
russell ruth ryan salvador samantha samuel sandra santiago sara sarah scott sean sergio
sharon shawn sheila shirley silvia sofia sonia stacy stephanie stephen steven susan suzanne
sylvia tamara tammy tanya teresa terrence theresa thomas timothy tina todd tommy tracy travis
tyler valerie vanessa veronica vicente victor victoria vincent virginia walter wanda wayne
wendy william yesenia jane janie jean jeanette jenny jill jo joe jon jonathon josephine
joyce kara kari karl kate katie kayla kendra kim kirk kurt lance lee leah leon leroy lila
lindsay lloyd lois lola lucy luke lupe mabel marcia marcus margo marla marsha maxine melinda
melvin mia mike miriam mitchell molly morgan nadia naomi neil nelson nina noel nora norman
olivia omar pat patsy perla peter rachael ralph ramona rebeca ricky rita robin rochelle rocio
rodrigo ronnie rosemary roxana roy ruby sabrina sally sam sherry sophia stacey stanley stella
steve stuart sue susana tara ted teri terri terry tiffany toni tony tracey trevor troy ursula
vera vivian wesley whitney wilma xavier yadira yvette zoe aurora beatrice blanca bertha
ciro dario efrain eladio elias eliseo emilio esteban fabian federico felipe felix fidel
gilberto heriberto hilario horacio ignacio isidro jacinto jairo joaquin leonel lucio
marcelino mariano mateo mauricio moises nestor octavio orlando osvaldo porfirio reynaldo
rigoberto saul teodoro ulises valentin wilfredo zenaida araceli adela alba amparo
angelica aracely carina catalina cristal dulce elvira erendira evangelina flor gisela
herminia ines jazmin leonor lidia lilia liliana lucero magdalena marina mayra mercedes
micaela mireya nayeli noemi ofelia paola pilar reyna rocio rosalinda rosaura selena socorro
soledad susana xochitl ximena yazmin yolanda yvonne zachary nguyen thanh minh huong linh tuan hung mai anh
wei li ying jun hui ming xiao raj priya anil sunil deepak ravi vijay sanjay ahmed mohammed
mohamed ali fatima omar hassan ibrahim yusuf aisha leila svetlana olga igor dmitri natasha
"""

_SURNAMES = """
smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez
gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris
sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill
flores green adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips
evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers
gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson
watson brooks chavez wood james bennett gray mendoza ruiz hughes price alvarez castillo sanders
patel myers long ross foster jimenez powell jenkins perry russell sullivan bell coleman butler
henderson barnes gonzales fisher vasquez simmons romero jordan patterson alexander hamilton
graham reynolds griffin wallace moreno west cole hayes bryant herrera gibson ellis tran
medina aguilar stevens murray ford castro marshall owens harrison fernandez mcdonald woods
washington kennedy wells vargas henry chen freeman webb tucker guzman burns crawford olson
simpson porter hunter gordon mendez silva shaw snyder mason dixon munoz hunt hicks holmes
palmer wagner black robertson boyd rose stone salazar fox warren mills meyer rice schmidt
garza daniels ferguson nichols stephens soto weaver ryan gardner payne grant dunn kelley
spencer hawkins arnold pierce vazquez hansen peters santos hart bradley knight elliott
cunningham duncan armstrong hudson carroll lane riley andrews alvarado ray delgado berry
perkins hoffman johnston matthews pena richards contreras willis carpenter lawrence sandoval
guerrero george chapman rios estrada ortega watkins greene nunez wheeler valdez harper burke
larson santiago maldonado morrison franklin carlson austin dominguez carr lawson jacobs obrien
lynch singh vega bishop montgomery oliver jensen harvey williamson gilbert dean sims espinoza
howell li wong reid hanson le mccoy garrett burton fuller wang weber welch rojas lucas marquez
fields park yang little banks padilla day walsh bowman schultz luna fowler mejia davidson
acosta brewer may holland juarez newman pearson curtis cortez douglas schneider joseph barrett
navarro figueroa keller avila wade molina stanley hopkins campos barnett bates chambers
caldwell beck lambert miranda byrd craig ayala lowe frazier powers neal leonard gregory
carrillo sutton fleming rhodes shelton schwartz norris jennings watts duran walters cohen
mcdaniel moran parks steele vaughn becker holt deleon barker terry hale leon hail benson
haynes horton miles lyons pham graves bush thornton wolfe warner cabrera mckinney mann zimmerman
dawson lara fletcher page mccarthy love robles cervantes solis erickson reeves chang klein
salinas fuentes baldwin daniel simon velasquez hardy higgins aguirre lin cummings chandler
sharp barber bowen ochoa dennis robbins liu ramsey francis griffith paul blair oconnor cardenas
pacheco cross calderon quinn moss swanson chan rivas khan rodgers serrano fitzgerald rosales
stevenson christensen manning gill curry mclaughlin harmon mcgee gross doyle garner newton
burgess reese walton blake trujillo adkins brady goodman roman webster goodwin fischer huang
potter delacruz montoya todd wu hines mullins castaneda malone cannon tate mack sherman
hubbard hodges zhang guerra wolf valencia saunders franco rowe gallagher farmer hammond hampton
townsend ingram wise gallegos clarke barton schroeder maxwell waters logan camacho strickland
norman person colon parsons frank harrington glover osborne buchanan casey floyd patton ibarra
ball tyler suarez bowers orozco salas cobb gibbs andrade bauer conner moody escobar mcguire
lloyd mueller hartman french kramer mcbride pope lindsey velazquez norton mccormick sparks
flynn yates hogan marsh macias villanueva zamora pratt stokes owen ballard lang brock
villarreal charles drake barrera cain patrick pineda burnett mercado santana shepherd bautista
ali shaffer lamb trevino mckenzie hess beil olsen cochran morton nash wilkins petersen briggs
shah roth nicholson holloway lozano rangel flowers hoover short arias mora valenzuela bryan
meyers weiss underwood bass greer summers houston carson morrow clayton whitaker decker yoder
collier zuniga carey wilcox melendez poole roberson larsen conley davenport copeland massey
lam huff rocha cameron jefferson hood monroe anthony pittman huynh randall singleton kirk combs
mathis christian skinner bradford richard galvan wall boone kirby wilkinson bridges bruce
atkinson velez meza roy vincent york hodge villa abbott allison tapia gates chase sosa sweeney
farrell wyatt dalton horn barron phelps yu dickerson heath foley atkins mathews bonilla
acevedo benitez zavala hensley glenn cisneros harrell shields rubio huffman choi boyer garrison
arroyo bond kane hancock callahan dillon cline wiggins grimes arellano melton oneill savage ho
beltran pitts parrish ponce rich booth koch golden ware brennan mcdowell marks cantu humphrey
baxter sawyer clay tanner hutchinson kaur berg wiley gilmore russo villegas hobbs keith wilkerson
ahmed beard mcclain montes mata rosario vang walter henson oneal mosley mcclure beasley stephenson
snow huerta preston vance barry johns eaton blackwell dyer prince macdonald solomon guevara
stafford english hurst woodard cortes shannon kemp nolan mccullough merritt murillo moon
salgado strong kline cordova barajas roach rosas winters jacobson lester knox bullock kerr
leach meadows orr davila whitehead pruitt kent conway mckee barr david dejesus marin berger
mcintyre blankenship gaines palacios cuevas bartlett durham dorsey mccall odonnell stein
browning stout lowery sloan mclean hendricks calhoun sexton chung gentry hull duarte ellison
nielsen gillespie buck middleton sellers leblanc esparza hardin bradshaw mcintosh howe livingston
frost glass morse knapp herman stark bravo noble spears weeks corona frederick buckley mcfarland
hebert enriquez hickman quintero randolph schaefer walls trejo house reilly pennington michael
conrad giles benjamin crosby fitzpatrick donovan mays mahoney valentine raymond medrano
hahn mcmillan small bentley felix peck lucero boyle hanna pace rush hurley harding mcconnell
bernal nava ayers everett ventura avery pugh mayer bender shepard mcmahon landry case sampson
moses magana blackburn dunlap gould duffy vaughan herring mckay espinosa rivers farley bernard
ashley friedman potts truong costa correa blevins nixon clements fry delarosa best benton
lugo portillo dougherty crane haley phan villalobos blanchard horne finley quintana lynn
esquivel bean dodson mullen xiong hayden cano levy huber richmond moyer lim frye sheppard
mccarty avalos booker waller parra woodward jaramillo krueger rasmussen brandt peralta donaldson
stuart faulkner maynard galindo coffey estes sanford burch maddox vo oconnell vu andersen
spence mcpherson church schmitt stanton leal cherry compton dudley sierra pollard alfaro
hester proctor lu hinton novak good madden mccann terrell jarvis dickson reyna cantrell mayo
branch hendrix rollins rowland whitney duke odom daugherty travis tang archer
"""

_NICKNAMES = """
beto lupe lupita chuy pepe paco pancho nacho memo chava lalo lety chelo concha conchita tere
kike cuca chayo chela meche tavo rigo fito yoli gaby toño tono chito nena lolita juanita
bob bobby jim jimmy tommy dave rick ricky chris matt nick danny ron ronnie ken kenny greg jeff
larry jerry fred freddy vicky cindy pam jess nate zach abby sandy becky peggy maggie liz lizzy
jen jenny kathy katie patty tony mikey stevie willie billy johnny joey charlie eddie teddy
"""
"""Nicknames of common first names (words of English such as "Bill", "Pat" or "Ray" are left out)."""

GIVEN_NAMES: frozenset[str] = frozenset((_GIVEN + _NICKNAMES).split())
SURNAMES: frozenset[str] = frozenset(_SURNAMES.split())
